// The fixed texts every benchmark run synthesizes, so runs stay comparable. Interview-style,
// because that is what the avatars say. Changing a text changes the numbers: bump TEXT_SET then.
export const TEXT_SET = 'interview-v1';

/** 20 sentences, one per synthesis call (4 to 13 words; questions, answers, small talk). */
export const SENTENCES = [
  'Thanks for coming in today.',
  'Could you start by telling me about yourself?',
  'What drew you to this role?',
  'I spent five years building data pipelines for a logistics company.',
  'Walk me through a project you are proud of.',
  'How did you decide which problem to tackle first?',
  'That sounds like a difficult trade-off.',
  'What would you do differently next time?',
  'Tell me about a time you disagreed with your manager.',
  'We mostly work in small teams of four or five engineers.',
  'How do you keep a large codebase easy to change?',
  'Give me an example of a bug that took a week to find.',
  'So the root cause was a race between two background jobs.',
  'What do you look for in a code review?',
  'How comfortable are you with on-call duty?',
  'Our users are spread across twelve time zones.',
  'Where do you see yourself in three years?',
  'Is there anything you would like to ask me?',
  'Great, that is all I had for now.',
  'We will be in touch by the end of next week.',
];

/** Five sentences, about 60 words: the streaming-latency and real-time-factor text. */
export const PARAGRAPH =
  'Thanks for joining us this morning, and welcome to the second round. ' +
  'Today we want to see how you approach problems with no obvious answer. ' +
  'I will describe a situation from our own work, and you can think out loud. ' +
  'There are no trick questions, so feel free to ask for details. ' +
  'When you are ready, tell me how you would get started.';

/**
 * First audio against the length of the first sentence (issue #23): the same follow-up after a
 * 5-word and after a 40-word first sentence.
 */
export const FIRST_SENTENCE_5 = 'Thanks for coming in today.';
export const FIRST_SENTENCE_40 =
  'When you are ready, I would like you to walk me through the way you would plan, build, test and ' +
  'ship a service that collects orders from three shops, checks them for mistakes and sends a summary to the team.';
export const FOLLOW_UP = 'Take your time, and think out loud.';

/** One 60-word sentence: peak worker memory of one long sentence (issue #23). */
export const SENTENCE_60 =
  'Before we finish, I would like to hear how you would explain a difficult technical decision to a ' +
  'manager who has no time for details, how you would make sure the team understood the risks, and ' +
  'what you would do if, three weeks later, the numbers showed that the decision had been the wrong one ' +
  'for our customers.';

// Interview question sets, stored as presets of kind "question_set"; seeded on first run.
export const QUESTION_SET_KIND = 'question_set';

const SEED = [
  {
    name: 'Behavioral',
    data: {
      description: 'Stories about how you work: use situation, task, action, result.',
      questions: [
        'Tell me about yourself.',
        'Describe a time you solved a hard problem. What made it hard?',
        'Tell me about a disagreement with a colleague and how you resolved it.',
        'Give an example of a goal you missed. What did you learn?',
        'When did you take the lead without being asked?',
        'What is a piece of feedback that changed how you work?',
      ],
    },
  },
  {
    name: 'Technical',
    data: {
      description: 'Reasoning out loud about systems and code.',
      questions: [
        'Walk me through what happens when you type a web address and press enter.',
        'How would you design a rate limiter for a public API?',
        'Explain the difference between a process and a thread.',
        'How do you find the cause of a memory leak in a long running service?',
        'What trade-offs would you weigh when choosing between SQL and a key value store?',
        'How would you make a slow web page fast?',
      ],
    },
  },
  {
    name: 'Custom',
    data: {
      description: 'Your own questions: edit this set below.',
      questions: ['Why do you want this role?', 'Where do you see yourself in three years?'],
    },
  },
];

export async function seedQuestionSets(store) {
  const existing = await store.presets.list({ kind: QUESTION_SET_KIND, limit: 1000 });
  if (existing.length) return existing;
  return store.transaction(async (tx) => {
    const created = [];
    for (const s of SEED) created.push(await tx.presets.create({ kind: QUESTION_SET_KIND, ...s }));
    return created;
  });
}

export function listQuestionSets(store) {
  return store.presets.list({ kind: QUESTION_SET_KIND, limit: 1000 });
}

export function questionsOf(preset) {
  const list = preset?.data?.questions;
  return Array.isArray(list) ? list.filter((q) => typeof q === 'string' && q.trim()) : [];
}

/** Textarea text → clean question list (one per line, blanks dropped). */
export function parseQuestions(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** A signed-in user with entries to read back. */
export type SeededJournal = {
  readonly token: string;
  readonly entryIds: readonly string[];
};

const PASSWORD = 'bench-password-123';

export async function seedJournal(baseUrl: string, entryCount: number): Promise<SeededJournal> {
  const email = `bench-${crypto.randomUUID()}@example.com`;
  const credentials = { email, password: PASSWORD };
  await expectStatus(post(baseUrl, '/auth/register', credentials), 201);
  const login = await expectStatus(post(baseUrl, '/auth/login', credentials), 200);
  const { token } = (await login.json()) as { token: string };
  const entryIds: string[] = [];
  for (let index = 0; index < entryCount; index++) {
    const body = { title: `entry ${index}`, body: `body of entry ${index} `.repeat(20) };
    const created = await expectStatus(post(baseUrl, '/entries', body, token), 201);
    entryIds.push(((await created.json()) as { id: string }).id);
  }

  return { token, entryIds };
}

/** Reads every entry twice so that the cache holds all of them. */
export async function warmCache(baseUrl: string, journal: SeededJournal) {
  for (let round = 0; round < 2; round++) {
    for (const id of journal.entryIds) {
      await expectStatus(getEntry(baseUrl, journal.token, id), 200);
    }
  }
}

export function getEntry(baseUrl: string, token: string, id: string, signal?: AbortSignal) {
  return fetch(`${baseUrl}/entries/${id}`, {
    headers: { authorization: `Bearer ${token}` },
    signal,
  });
}

function post(baseUrl: string, path: string, body: unknown, token?: string) {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
}

async function expectStatus(pending: Promise<Response>, status: number) {
  const response = await pending;
  if (response.status !== status) {
    const text = await response.text();
    throw new Error(`${response.url}: expected ${status}, got ${response.status} ${text}`);
  }

  return response;
}

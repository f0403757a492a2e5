import {performance} from 'perf_hooks';

/** POSTs JSON with a bearer token; answers the status (body read). */
export async function post(url: string, token: string, body: object) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * A group created by the owner of `token`, with `users` added (1,000 at a
 * time); answers its id.
 */
export async function createGroup(
  base: string,
  token: string,
  users: string[],
  title = 'Fan-out bench',
) {
  const res = await fetch(`${base}/conversations`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({type: 'group', title}),
  });
  if (res.status !== 201)
    throw new Error(`create group answered ${res.status}`);
  const {id} = (await res.json()) as {id: string};
  for (let i = 0; i < users.length; i += 1000) {
    const userIds = users.slice(i, i + 1000);
    const status = await post(`${base}/conversations/${id}/members`, token, {
      userIds,
    });
    if (status !== 200) throw new Error(`add members answered ${status}`);
  }
  return id;
}

/**
 * Waits until `lastFrameAt()` is `quietMs` in the past (the presence
 * frames of streams being opened are delivered), or `maxMs` passed since
 * `since`. Answers the seconds since `since`.
 */
export async function waitForQuiet(
  lastFrameAt: () => number,
  since: number,
  quietMs: number,
  maxMs: number,
): Promise<number> {
  while (
    performance.now() - lastFrameAt() < quietMs &&
    performance.now() - since < maxMs
  ) {
    await sleep(250);
  }
  return (performance.now() - since) / 1000;
}

export function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

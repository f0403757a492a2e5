import http from 'http';
import {performance} from 'perf_hooks';

/** One parsed Server-Sent Events frame and when its bytes arrived. */
export interface SseFrame {
  event?: string;
  data?: string;
  receivedAt: number;
}

/** An open `GET /events` stream. */
export interface SseConnection {
  close(): void;
}

/**
 * Opens an SSE stream and calls `onFrame` for every complete frame.
 * Resolves once the response headers arrived with status 200; rejects on
 * any other status or an error before that.
 */
export function openSse(
  url: string,
  token: string,
  onFrame: (frame: SseFrame) => void,
  onEnd: () => void,
): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      {
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
        },
      },
      response => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`GET /events answered ${response.statusCode}`));
          return;
        }
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          const receivedAt = performance.now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            onFrame(parseFrame(buffer.slice(0, end), receivedAt));
            buffer = buffer.slice(end + 2);
          }
        });
        response.on('close', onEnd);
        resolve({close: () => request.destroy()});
      },
    );
    request.on('error', reject);
  });
}

function parseFrame(text: string, receivedAt: number): SseFrame {
  const frame: SseFrame = {receivedAt};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') frame.event = value;
    if (field === 'data') {
      frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    }
  }
  return frame;
}

/**
 * Opens one stream per user, `batch` at a time, signing each user's token;
 * `onFrame` gets the frame and the index of the user's stream. On an
 * error the streams opened so far are closed.
 */
export async function openStreams(
  url: string,
  users: string[],
  sign: (userId: string) => Promise<string>,
  onFrame: (frame: SseFrame, index: number) => void,
  onEnd: () => void,
  batch = 100,
): Promise<SseConnection[]> {
  const streams: SseConnection[] = [];
  try {
    for (let i = 0; i < users.length; i += batch) {
      const opening = users
        .slice(i, i + batch)
        .map(async (user, j) =>
          openSse(url, await sign(user), frame => onFrame(frame, i + j), onEnd),
        );
      const settled = await Promise.allSettled(opening);
      for (const s of settled)
        if (s.status === 'fulfilled') streams.push(s.value);
      const failed = settled.find(s => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
    return streams;
  } catch (err) {
    for (const s of streams) s.close();
    throw err;
  }
}

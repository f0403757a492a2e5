// loopback4-chat-service/client: a typed client of the chat service's
// HTTP API and event stream, for browsers and Node 20+. It loads nothing but
// its own files (no server code, no packages, not even tslib: hence the
// named re-exports), so a page can import it as an ES module
// (dist/client/esm) and Node can require it (dist/client). Relative
// imports in this folder end in `.js` for the browser's sake.
export {ChatClient} from './chat-client.js';
export type {ChatClientOptions, TransferOptions} from './chat-client.js';
export {fileNameOf, rangeHeader} from './download.js';
export type {ByteRangeRequest, DownloadedAttachment} from './download.js';
export {
  ChatApiError,
  ChatNetworkError,
  isCursorExpired,
  isRetryable,
  isRetryableStatus,
} from './errors.js';
export type {ChatErrorBody, ChatErrorCode} from './errors.js';
export {ChatEventStream} from './event-stream.js';
export type {EventStreamOptions, StreamState} from './event-stream.js';
export type * from './events.js';
export type {FetchLike, RetryOptions, TokenSource} from './http.js';
export {randomId} from './ids.js';
export type {RandomSource} from './ids.js';
export {SseParser} from './sse.js';
export type {SseFrame} from './sse.js';
export type * from './types.js';

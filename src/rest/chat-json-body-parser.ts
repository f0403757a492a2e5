import {inject} from '@loopback/core';
import {
  BodyParser,
  HttpErrors,
  JsonBodyParser,
  Request,
  RequestBody,
  RequestBodyParserOptions,
  RestBindings,
} from '@loopback/rest';
import {IncomingMessage} from 'node:http';
import {ChatErrorCodes} from '../errors';
import {ChatServiceBindings} from '../keys';
import {ResolvedChatServiceConfig} from '../types';

/**
 * Name of the component's JSON body parser, as the component's operations
 * name it in `'x-parser'` (see `jsonBody` in spec-helpers).
 */
export const CHAT_JSON_PARSER = 'chat-service-json';

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when the JSON text in `bytes` (UTF-8) nests arrays and objects
 * deeper than `maxDepth`. One pass, no recursion, no allocation; brackets
 * inside strings do not count. It does not validate: the parser does.
 */
export function isNestedDeeperThan(bytes: Uint8Array, maxDepth: number) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}

/**
 * LoopBack's JSON body parser (same options, limit and prohibited keys)
 * that first checks how deeply the raw body nests, and answers 400
 * `JSON_TOO_DEEP` beyond `limits.maxJsonDepth`: `JSON.parse` and
 * LoopBack's sanitising reviver recurse, so a 1 MB body of brackets would
 * exhaust the stack (and memory) before any schema is checked. It serves
 * only the component's operations, which name it in `'x-parser'`; the
 * host's routes keep LoopBack's parser.
 */
export class ChatJsonBodyParser implements BodyParser {
  name = CHAT_JSON_PARSER;
  private readonly json: JsonBodyParser;

  constructor(
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    config: ResolvedChatServiceConfig,
    @inject(RestBindings.REQUEST_BODY_PARSER_OPTIONS, {optional: true})
    options: RequestBodyParserOptions = {},
  ) {
    const maxDepth = config.limits.maxJsonDepth;
    const hostVerify = options.json?.verify;
    this.json = new JsonBodyParser({
      ...options,
      json: {
        ...options.json,
        // body-parser calls it with the raw body, before parsing
        verify: (req, res, buf, encoding) => {
          checkDepth(buf, encoding, maxDepth);
          hostVerify?.(req as IncomingMessage, res, buf, encoding);
        },
      },
    });
  }

  /** Never picked by media type: only where an operation names it. */
  supports(): boolean {
    return false;
  }

  parse(request: Request): Promise<RequestBody> {
    return this.json.parse(request);
  }
}

function checkDepth(buf: Buffer, encoding: string, maxDepth: number) {
  const utf8 = /^utf-?8$/i.test(encoding) ? buf : toUtf8(buf, encoding);
  if (!isNestedDeeperThan(utf8, maxDepth)) return;
  throw Object.assign(
    new HttpErrors.BadRequest(
      `The JSON body nests arrays and objects deeper than ${maxDepth} levels.`,
    ),
    {code: ChatErrorCodes.JSON_TOO_DEEP},
  );
}

/** The body re-encoded as UTF-8 (UTF-16 bodies); 415 for other charsets. */
function toUtf8(buf: Buffer, encoding: string): Buffer {
  let text: string;
  try {
    text = new TextDecoder(encoding, {fatal: true}).decode(buf);
  } catch {
    throw Object.assign(
      new HttpErrors.UnsupportedMediaType(
        `Unsupported charset "${encoding.slice(0, 40)}" for a JSON body.`,
      ),
      {code: 'UNSUPPORTED_MEDIA_TYPE'},
    );
  }
  return Buffer.from(text, 'utf8');
}

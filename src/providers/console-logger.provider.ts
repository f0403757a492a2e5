import {BindingScope, injectable, Provider} from '@loopback/core';
import {ChatLogger} from '../types';

const PREFIX = '[chat-service]';

/** The default `ChatServiceBindings.LOGGER`: the console, prefixed. */
@injectable({scope: BindingScope.SINGLETON})
export class ConsoleLoggerProvider implements Provider<ChatLogger> {
  value(): ChatLogger {
    return consoleLogger();
  }
}

/** A `ChatLogger` writing to the console with a `[chat-service]` prefix. */
export function consoleLogger(): ChatLogger {
  return {
    info: message => console.info(`${PREFIX} ${message}`),
    warn: message => console.warn(`${PREFIX} ${message}`),
    error: message => console.error(`${PREFIX} ${message}`),
  };
}

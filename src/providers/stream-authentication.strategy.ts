import {asAuthStrategy} from '@loopback/authentication';
import {injectable} from '@loopback/core';
import {Request} from '@loopback/rest';
import {UserProfile} from '@loopback/security';
import {ChatAuthenticationStrategy} from './chat-authentication.strategy';

/** Name of the strategy of the event stream route. */
export const CHAT_STREAM_AUTHENTICATION_STRATEGY = 'chat-service-stream';

/**
 * The event stream's strategy. Browsers' `EventSource` cannot send headers,
 * so a token may also come as the `access_token` query parameter; it is
 * then checked exactly like a bearer header, by the configured strategy.
 */
@injectable(asAuthStrategy)
export class ChatStreamAuthenticationStrategy extends ChatAuthenticationStrategy {
  readonly name: string = CHAT_STREAM_AUTHENTICATION_STRATEGY;

  async authenticate(request: Request): Promise<UserProfile> {
    const token = request.query.access_token;
    if (typeof token === 'string' && !request.headers.authorization) {
      request.headers.authorization = `Bearer ${token}`;
    }
    return super.authenticate(request);
  }
}

import {BindingScope, injectable} from '@loopback/core';
import {
  ChatBusListener,
  ChatBusStatus,
  ChatEventBus,
  EphemeralEvent,
} from '../types';

/**
 * The bus of a single process: news go straight to its dispatcher. It has
 * no connection to lose, so it is always up.
 */
@injectable({scope: BindingScope.SINGLETON})
export class MemoryEventBus implements ChatEventBus {
  private listener?: ChatBusListener;
  private readonly since = new Date();

  async inTransaction(): Promise<void> {}

  committed(lastId: number): void {
    this.listener?.eventsCommitted(lastId);
  }

  async publishEphemeral(event: EphemeralEvent): Promise<void> {
    this.listener?.ephemeral(event);
  }

  async listen(listener: ChatBusListener): Promise<void> {
    this.listener = listener;
  }

  async close(): Promise<void> {
    this.listener = undefined;
  }

  status(): ChatBusStatus {
    return {state: 'up', since: this.since, attempts: 0};
  }
}

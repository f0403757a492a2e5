import {BindingScope, injectable} from '@loopback/core';
import {ChatBusListener, ChatEventBus, EphemeralEvent} from '../types';

/** The bus of a single process: news go straight to its dispatcher. */
@injectable({scope: BindingScope.SINGLETON})
export class MemoryEventBus implements ChatEventBus {
  private listener?: ChatBusListener;

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
}

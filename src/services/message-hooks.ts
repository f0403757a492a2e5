import {
  BindingScope,
  extensionFor,
  extensions,
  Getter,
  injectable,
} from '@loopback/core';
import debugFactory from 'debug';
import {ChatError} from '../errors';
import {ChatServiceBindings} from '../keys';
import {MessageDraft, MessageHook, MessageHookContext} from '../types';

const debug = debugFactory('loopback:chat-service:message-hooks');

/** Binding template registering a class as a `MessageHook`. */
export const asMessageHook = extensionFor(
  ChatServiceBindings.MESSAGE_HOOK_EXTENSION_POINT,
);

/** The error a before-save hook throws to refuse a message: a 422 naming `body`. */
export function rejectMessage(
  reason: string,
  code = ChatError.codes.MESSAGE_REJECTED,
): ChatError {
  return new ChatError('invalid', code, `body: ${reason}`, 'body');
}

/** Runs the registered message hooks in binding order. */
@injectable({scope: BindingScope.SINGLETON})
export class MessageHooks {
  constructor(
    @extensions(ChatServiceBindings.MESSAGE_HOOK_EXTENSION_POINT)
    private getHooks: Getter<MessageHook[]>,
  ) {}

  /** Each hook may change the draft or throw to reject it. */
  async beforeSave(
    draft: MessageDraft,
    context: MessageHookContext,
  ): Promise<MessageDraft> {
    let current = draft;
    for (const hook of await this.getHooks()) {
      if (!hook.beforeSave) continue;
      const changed = await hook.beforeSave({...current}, context);
      if (changed) current = changed;
    }
    if (typeof current.body !== 'string') {
      throw ChatError.invalid('body', 'a message hook returned no body');
    }
    return current;
  }

  /** Runs after the commit; failures are logged, never thrown. */
  afterSave(message: object, context: MessageHookContext): void {
    this.runAfterSave(message, context).catch(err =>
      debug('after-save hook failed: %s', err),
    );
  }

  private async runAfterSave(message: object, context: MessageHookContext) {
    for (const hook of await this.getHooks()) {
      try {
        await hook.afterSave?.(message, context);
      } catch (err) {
        debug('after-save hook failed: %s', err);
      }
    }
  }
}

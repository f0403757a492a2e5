import {BindingScope, inject, injectable} from '@loopback/core';
import {ChatServiceBindings} from '../keys';
import type {PresenceService} from '../realtime/presence.service';
import {MemberView} from '../repositories';
import {ChatUserProfileView, UserProfileResolver} from '../types';

/** A member as answers carry it: presence, and a profile when resolvable. */
export interface MemberDetailsView extends MemberView {
  online: boolean;
  lastSeenAt: Date | null;
  profile?: ChatUserProfileView | null;
}

/**
 * Adds online state, last-seen time and (with a `UserProfileResolver`
 * bound) the host's profile to members: one presence query and one resolver
 * call for all members of an answer.
 */
@injectable({scope: BindingScope.SINGLETON})
export class MemberDetails {
  constructor(
    @inject(ChatServiceBindings.PRESENCE_SERVICE)
    private presence: PresenceService,
    @inject(ChatServiceBindings.USER_PROFILE_RESOLVER, {optional: true})
    private profiles?: UserProfileResolver,
  ) {}

  async add(tenantId: string, members: MemberView[]): Promise<void> {
    if (members.length === 0) return;
    const userIds = [...new Set(members.map(m => m.userId))];
    const [presence, profiles] = await Promise.all([
      this.presence.of(tenantId, userIds),
      this.profiles?.resolve(userIds, {tenantId}),
    ]);
    // a user id is client input: `constructor` must not find Object's
    const profileOf = (id: string) =>
      profiles instanceof Map
        ? profiles.get(id)
        : profiles && Object.prototype.hasOwnProperty.call(profiles, id)
          ? profiles[id]
          : undefined;
    for (const member of members as MemberDetailsView[]) {
      const state = presence.get(member.userId);
      member.online = state?.online ?? false;
      member.lastSeenAt = state?.lastSeenAt ?? null;
      if (this.profiles) member.profile = profileOf(member.userId) ?? null;
    }
  }
}

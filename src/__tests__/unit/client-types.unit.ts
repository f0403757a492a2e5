import {expect} from '@loopback/testlab';
import type * as Client from '../../client';
import type {
  AttachmentController,
  ConversationController,
  EventsController,
  MemberController,
  MessageController,
  ReadStateController,
} from '../../controllers';
import type {MemberDetailsView} from '../../services';
import type {ChatUserProfileView} from '../../types';
import {
  differences,
  documentedSchema,
  readClientTypes,
  readOpenApi,
} from '../fixtures/client-type-reader';

// The client SDK declares the API's shapes itself (it loads in a browser
// without the server code). Two checks keep them from drifting apart:
// - at compile time, each client type must equal the JSON form of what the
//   server's controllers answer (`tsc` fails on drift, naming the fields);
// - at run time, each client type's fields (read from src/client with the
//   TypeScript compiler) must be the fields openapi.json documents.

// ---------------------------------------------------------------------------
// Compile time

/** `T` as JSON carries it: dates become strings. */
type Json<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? keyof T extends never
        ? Record<string, unknown> // `object`: any JSON object
        : {[K in keyof T]: Json<T[K]>}
      : T;

/** True when `A` and `B` are the same type. */
type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2
    ? true
    : false;

/** The fields in which `A` (the client's) and `B` (the server's) differ. */
type DriftingFields<A, B> =
  | Exclude<keyof A, keyof B>
  | Exclude<keyof B, keyof A>
  | {
      [K in keyof A & keyof B]: Same<A[K], B[K]> extends true ? never : K;
    }[keyof A & keyof B];

/**
 * Compiles only when the client type `C` equals the server's answer `S` in
 * JSON; otherwise `tsc` names the fields that differ ("drifted: profile").
 */
function noDrift<C, S>(
  ok: Same<Json<C>, Json<S>> extends true
    ? true
    : `drifted: ${DriftingFields<Json<C>, Json<S>> & string}`,
): boolean {
  return ok === true;
}

/** What a controller method answers. */
type Answer<C, M extends keyof C> = C[M] extends (
  ...args: never[]
) => Promise<infer R>
  ? R
  : never;

/**
 * A member as answers carry it. The services type members as `MemberView`
 * and `MemberDetails.add` adds presence (and a profile) in place; member
 * lists and conversations carry them, a role change's answer and member
 * events do not.
 */
type AnsweredMember = Omit<
  MemberDetailsView,
  'online' | 'lastSeenAt' | 'profile'
> &
  Partial<Pick<MemberDetailsView, 'online' | 'lastSeenAt' | 'profile'>>;

type ConversationAnswer = Answer<ConversationController, 'findById'>;
type AnsweredConversation = Omit<ConversationAnswer, 'members'> & {
  members: AnsweredMember[];
};
type WithMembers<T extends {items: unknown[]}> = Omit<T, 'items'> & {
  items: AnsweredMember[];
};
type ConversationPageAnswer = Answer<ConversationController, 'list'>;
type AnsweredConversationPage = Omit<ConversationPageAnswer, 'items'> & {
  items: AnsweredConversation[];
};
type ReceiptsAnswer = Answer<ReadStateController, 'receipts'>;

/** Each client view type beside the server's answer it stands for. */
const COMPILE_TIME_CHECKS = {
  Attachment: noDrift<
    Client.Attachment,
    Answer<AttachmentController, 'findById'>
  >(true),
  AttachmentDownload: noDrift<
    Client.AttachmentDownload,
    Answer<AttachmentController, 'downloads'>['items'][number]
  >(true),
  'Page<AttachmentDownload>': noDrift<
    Client.Page<Client.AttachmentDownload>,
    Answer<AttachmentController, 'downloads'>
  >(true),
  Message: noDrift<Client.Message, Answer<MessageController, 'findById'>>(true),
  'Message (sent)': noDrift<Client.Message, Answer<MessageController, 'send'>>(
    true,
  ),
  'ItemList<Message>': noDrift<
    Client.ItemList<Client.Message>,
    Answer<MessageController, 'list'>
  >(true),
  Member: noDrift<Client.Member, AnsweredMember>(true),
  MemberProfile: noDrift<Client.MemberProfile, ChatUserProfileView>(true),
  'Member (role changed)': noDrift<
    Client.Member,
    Answer<MemberController, 'changeRole'> & Partial<AnsweredMember>
  >(true),
  'ItemList<Member>': noDrift<
    Client.ItemList<Client.Member>,
    WithMembers<Answer<MemberController, 'list'>>
  >(true),
  Conversation: noDrift<Client.Conversation, AnsweredConversation>(true),
  'Page<Conversation>': noDrift<
    Client.Page<Client.Conversation>,
    AnsweredConversationPage
  >(true),
  ReadPosition: noDrift<
    Client.ReadPosition,
    Answer<ReadStateController, 'markRead'>
  >(true),
  Receipt: noDrift<Client.Receipt, ReceiptsAnswer['items'][number]>(true),
  UnreadCounts: noDrift<
    Client.UnreadCounts,
    Answer<ReadStateController, 'unread'>
  >(true),
  'SyncPage (outside items)': noDrift<
    Omit<Client.SyncPage, 'items'>,
    Omit<Answer<EventsController, 'sync'>, 'items'>
  >(true),
};

// ---------------------------------------------------------------------------
// Run time

/** Types of src/client/types.ts that are not answers (request shapes). */
const REQUEST_TYPES = [
  'ConversationType',
  'MemberRole',
  'CreateConversationInput',
  'UpdateConversationInput',
  'SendMessageInput',
  'HistoryQuery',
  'PageQuery',
  'ConversationQuery',
];

/**
 * Where openapi.json documents each client view type: operation, status
 * and, for a type inside an answer, the path to it (`items` twice: the
 * list's field, then its elements).
 */
const DOCUMENTED: Record<string, string[]> = {
  Attachment: [
    'get /attachments/{id} 200',
    'post /conversations/{id}/attachments 201',
    'get /conversations/{id}/messages/{messageId} 200 attachments items',
  ],
  AttachmentDownload: ['get /attachments/{id}/downloads 200 items items'],
  ItemList: [
    'get /conversations/{id}/messages 200',
    'get /conversations/{id}/members 200',
    'post /conversations/{id}/members 200',
    'get /conversations/{id}/messages/{messageId}/receipts 200',
  ],
  Page: ['get /conversations 200', 'get /attachments/{id}/downloads 200'],
  Message: [
    'get /conversations/{id}/messages/{messageId} 200',
    'post /conversations/{id}/messages 201',
    'patch /conversations/{id}/messages/{messageId} 200',
    'get /conversations/{id}/messages 200 items items',
  ],
  Member: [
    'patch /conversations/{id}/members/{userId} 200',
    'get /conversations/{id}/members 200 items items',
    'post /conversations/{id}/members 200 items items',
  ],
  Conversation: [
    'get /conversations/{id} 200',
    'post /conversations 201',
    'patch /conversations/{id} 200',
    'get /conversations 200 items items',
  ],
  ReadPosition: ['post /conversations/{id}/read 200'],
  MemberProfile: ['get /conversations/{id}/members 200 items items profile'],
  Receipt: [
    'get /conversations/{id}/messages/{messageId}/receipts 200 items items',
  ],
  UnreadCounts: ['get /unread 200'],
  SyncPage: ['get /sync 200'],
  EventBase: ['get /sync 200 items items'],
};

describe('client SDK types (unit)', () => {
  const spec = readOpenApi();
  const client = readClientTypes(REQUEST_TYPES);

  it('checks every view type of the client against the server and openapi.json', () => {
    const checked = Object.keys(COMPILE_TIME_CHECKS).flatMap(key =>
      key
        .replace(/ \(.*\)$/, '')
        .split(/[<>]/)
        .filter(Boolean),
    );
    for (const name of client.viewNames) {
      expect({name, documented: name in DOCUMENTED}).to.eql({
        name,
        documented: true,
      });
      expect({name, compiled: checked.includes(name)}).to.eql({
        name,
        compiled: true,
      });
    }
    expect(Object.values(COMPILE_TIME_CHECKS).every(Boolean)).to.be.true();
  });

  for (const [name, places] of Object.entries(DOCUMENTED)) {
    it(`${name} has the fields openapi.json documents`, () => {
      const type = client.declared.get(name);
      expect(type).to.not.be.undefined();
      const found = places.flatMap(where =>
        differences(
          client.checker,
          type!,
          documentedSchema(spec, where),
          `${name} (${where})`,
        ),
      );
      expect(found).to.eql([]);
    });
  }
});

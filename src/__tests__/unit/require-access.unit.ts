import {
  INTERCEPT_CLASS_KEY,
  INTERCEPT_METHOD_KEY,
  MetadataInspector,
} from '@loopback/core';
import {getControllerSpec, param} from '@loopback/rest';
import {expect} from '@loopback/testlab';
import {
  AttachmentController,
  ChatServiceBindings,
  ConversationController,
  EventsController,
  getAccessRequirement,
  MemberController,
  MessageController,
  ReadStateController,
  requireAccess,
} from '../..';

describe('requireAccess (unit)', () => {
  it('records the level and the index of the named @param', () => {
    class Routes {
      @requireAccess('group-manager', {conversationId: 'id'})
      change(
        @param.path.string('userId') userId: string,
        @param.path.string('id') id: string,
      ) {}
    }
    expect(getAccessRequirement(Routes.prototype, 'change')).to.eql({
      level: 'group-manager',
      conversationIdIndex: 1,
    });
  });

  it('registers the access interceptor on the method itself', () => {
    class Routes {
      @requireAccess('member', {conversationId: 'id'})
      read(@param.path.string('id') id: string) {}
    }
    expect(
      MetadataInspector.getMethodMetadata(
        INTERCEPT_METHOD_KEY,
        Routes.prototype,
        'read',
      ),
    ).to.eql([ChatServiceBindings.ACCESS_INTERCEPTOR]);
    // nothing on the class: one decorator per route is the whole contract
    expect(
      MetadataInspector.getClassMetadata(INTERCEPT_CLASS_KEY, Routes),
    ).to.be.undefined();
  });

  it('throws when the class is defined if no @param has the name', () => {
    expect(() => {
      class Routes {
        @requireAccess('member', {conversationId: 'conversationId'})
        read(@param.path.string('id') id: string) {}
      }
      return Routes;
    }).to.throw(
      "@requireAccess on Routes.read: the method has no @param named 'conversationId' to read the conversation id from",
    );
  });

  it('throws for a method without @param arguments', () => {
    expect(() => {
      class Routes {
        @requireAccess('member', {conversationId: 'id'})
        read(id: string) {}
      }
      return Routes;
    }).to.throw(/no @param named 'id'/);
  });

  it('guards every /conversations/{id} route of the controllers by its id', () => {
    const controllers = [
      AttachmentController,
      ConversationController,
      EventsController,
      MemberController,
      MessageController,
      ReadStateController,
    ];
    const guarded: string[] = [];
    for (const controller of controllers) {
      const paths = getControllerSpec(controller).paths;
      for (const [path, operations] of Object.entries(paths)) {
        for (const operation of Object.values(operations)) {
          const method = (operation as Record<string, string>)[
            'x-operation-name'
          ];
          const requirement = getAccessRequirement(
            controller.prototype,
            method,
          );
          if (!path.startsWith('/conversations/{id}')) {
            expect(requirement).to.be.undefined();
            continue;
          }
          expect(requirement).to.not.be.undefined();
          const params = MetadataInspector.getAllParameterMetadata<{
            name: string;
          }>('openapi-v3:parameters', controller.prototype, method);
          expect(params?.[requirement!.conversationIdIndex]?.name).to.equal(
            'id',
          );
          guarded.push(`${controller.name}.${method}`);
        }
      }
    }
    expect(guarded).to.have.length(15);
  });
});

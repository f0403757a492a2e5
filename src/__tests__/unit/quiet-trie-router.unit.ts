import {expect, stubExpressContext} from '@loopback/testlab';
import {
  RestApplication,
  RestBindings,
  RouteEntry,
  TrieRouter,
} from '@loopback/rest';
import {inspect} from 'util';
import {ChatServiceComponent, QuietTrieRouter} from '../..';

const HOSTILE_SEGMENTS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
];

function givenRoute(verb: string, path: string): RouteEntry {
  return {
    verb,
    path,
    spec: {responses: {}},
    updateBindings: () => undefined,
    invokeHandler: async () => undefined,
    describe: () => `${verb} ${path}`,
  };
}

function requestFor(method: string, url: string) {
  return stubExpressContext({method, url}).request;
}

describe('QuietTrieRouter (unit)', () => {
  it('finds routes with and without path variables, with their values', () => {
    const router = new QuietTrieRouter();
    const messages = givenRoute('get', '/conversations/{id}/messages');
    const unread = givenRoute('get', '/unread');
    router.add(messages);
    router.add(unread);

    const found = router.find(requestFor('GET', '/conversations/c1/messages'));
    expect(found?.path).to.equal('/conversations/{id}/messages');
    expect(found?.pathParams).to.deepEqual({id: 'c1'});
    expect(router.find(requestFor('GET', '/unread'))?.path).to.equal('/unread');
    expect(router.find(requestFor('POST', '/unread'))).to.be.undefined();
    expect(
      router.find(requestFor('GET', '/conversations/c1')),
    ).to.be.undefined();
    expect(router.list().map(r => r.path)).to.containDeep([
      '/conversations/{id}/messages',
      '/unread',
    ]);
  });

  it('formats a route with path variables as its verb and path', () => {
    const router = new QuietTrieRouter();
    const route = givenRoute('get', '/conversations/{id}/messages');
    router.add(route);
    expect(inspect(route, {depth: 5})).to.equal(
      'GET /conversations/{id}/messages',
    );
  });

  it('takes a route that another router registered before', () => {
    const route = givenRoute('get', '/conversations/{id}');
    new QuietTrieRouter().add(route);
    const rebuilt = new QuietTrieRouter();
    rebuilt.add(route);
    const found = rebuilt.find(requestFor('GET', '/conversations/c2'));
    expect(found?.pathParams).to.deepEqual({id: 'c2'});
  });
});

describe('QuietTrieRouter with hostile path segments (unit)', () => {
  function givenRouter() {
    const router = new QuietTrieRouter();
    for (const path of [
      '/conversations/{id}/members',
      '/conversations/{id}/members/{userId}',
      '/conversations/{id}',
      '/attachments/{id}/content',
    ]) {
      router.add(givenRoute('get', path));
    }
    router.add(givenRoute('get', '/unread'));
    return router;
  }

  for (const segment of HOSTILE_SEGMENTS) {
    it(`matches "${segment}" as an ordinary path variable value`, () => {
      const router = givenRouter();
      const members = router.find(
        requestFor('GET', `/conversations/${segment}/members`),
      );
      expect(members?.path).to.equal('/conversations/{id}/members');
      expect(members?.pathParams).to.deepEqual({id: segment});
      const member = router.find(
        requestFor('GET', `/conversations/c1/members/${segment}`),
      );
      expect(member?.pathParams).to.deepEqual({id: 'c1', userId: segment});
      const content = router.find(
        requestFor('GET', `/attachments/${segment}/content`),
      );
      expect(content?.pathParams).to.deepEqual({id: segment});
    });

    it(`finds no route for "${segment}" where a literal segment is expected`, () => {
      const router = givenRouter();
      for (const url of [
        `/${segment}`,
        `/${segment}/c1/members`,
        `/conversations/c1/${segment}`,
        `/conversations/c1/${segment}/x`,
        `/attachments/c1/${segment}`,
      ]) {
        expect(router.find(requestFor('GET', url))).to.be.undefined();
      }
      expect(
        router.find(requestFor(segment, '/conversations/c1')),
      ).to.be.undefined();
    });
  }

  it('stays safe for routes added after the first lookups', () => {
    const router = givenRouter();
    expect(
      router.find(requestFor('GET', '/conversations/__proto__/pins')),
    ).to.be.undefined();
    router.add(givenRoute('get', '/conversations/{id}/pins'));
    router.add(givenRoute('get', '/toString/{id}'));
    expect(
      router.find(requestFor('GET', '/conversations/__proto__/pins'))
        ?.pathParams,
    ).to.deepEqual({id: '__proto__'});
    expect(
      router.find(requestFor('GET', '/toString/constructor'))?.pathParams,
    ).to.deepEqual({id: 'constructor'});
    expect(
      router.find(requestFor('GET', '/constructor/toString')),
    ).to.be.undefined();
  });

  it('lists every route once', () => {
    const paths = givenRouter()
      .list()
      .map(r => r.path);
    expect(paths.sort()).to.deepEqual([
      '/attachments/{id}/content',
      '/conversations/{id}',
      '/conversations/{id}/members',
      '/conversations/{id}/members/{userId}',
      '/unread',
    ]);
  });
});

describe('ChatServiceComponent and the REST router (unit)', () => {
  class HostRouter extends TrieRouter {}

  async function routerOf(app: RestApplication) {
    return app.restServer.get(RestBindings.ROUTER);
  }

  it('makes QuietTrieRouter the router of a host that bound none', async () => {
    const app = new RestApplication();
    app.component(ChatServiceComponent);
    expect(await routerOf(app)).to.be.instanceOf(QuietTrieRouter);
  });

  it('keeps a router the host bound before adding the component', async () => {
    const app = new RestApplication();
    app.bind(RestBindings.ROUTER).toClass(HostRouter);
    app.component(ChatServiceComponent);
    const router = await routerOf(app);
    expect(router).to.be.instanceOf(HostRouter);
    expect(router).not.to.be.instanceOf(QuietTrieRouter);
  });

  it('keeps a router the host binds after adding the component', async () => {
    const app = new RestApplication();
    app.component(ChatServiceComponent);
    app.bind(RestBindings.ROUTER).toClass(HostRouter);
    expect(await routerOf(app)).to.be.instanceOf(HostRouter);
  });
});

import {expect, stubExpressContext} from '@loopback/testlab';
import {RouteEntry} from '@loopback/rest';
import {inspect} from 'util';
import {QuietTrieRouter} from '../..';

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

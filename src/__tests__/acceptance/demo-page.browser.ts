import {expect} from '@loopback/testlab';
import {randomBytes} from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type {Browser, Page} from 'playwright-core';
import {DemoApplication} from '../../demo/application';
import {
  closeTestDataSource,
  describeBackend,
  givenDemoApp,
  testBackend,
  truncateChatTables,
} from '../fixtures';
import {
  hasChromium,
  launchChromium,
  skipWithout,
  screenshotPath,
} from '../fixtures/browser';

// The demo page served by the demo host app at `/`, driven in Chromium as
// two users at once. It runs once, in the postgres-juggler run: the page
// only talks HTTP, and the other runs test that API on their back ends.
describe('demo chat page in Chromium (browser)', function (this: Mocha.Suite) {
  this.timeout(90_000);
  const {db, orm} = testBackend();

  if (db !== 'postgres' || orm !== 'juggler') {
    it(`runs in the postgres-juggler run, not in this one (${describeBackend()}): the page uses the HTTP API only`, () => {
      expect(`${db}-${orm}`).to.not.equal('postgres-juggler');
    });
    return;
  }
  if (!hasChromium()) {
    const what = 'The browser test of the demo page';
    it('needs Chromium: SKIPPED, see the warning above', skipWithout(what));
    return;
  }

  let app: DemoApplication;
  let browser: Browser;
  let storage: string;
  const pageErrors: string[] = [];

  before(async () => {
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-demo-files-'));
    app = await givenDemoApp({orm, attachmentsDirectory: storage});
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
    if (app) await closeTestDataSource(app.chatDataSource);
    fs.rmSync(storage, {recursive: true, force: true});
  });
  beforeEach(truncateChatTables);

  /** A page of its own (own cookies and storage) signed in as `name`. */
  async function pageAs(name: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: {width: 1000, height: 600},
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', err => pageErrors.push(`${name}: ${err.message}`));
    await page.goto(`${app.restServer.url}/`);
    await page.getByText('Pick a user to chat as.').waitFor();
    await page.getByLabel(name, {exact: true}).check(); // reloads as them
    await page.getByText(`Connected as ${name}.`).waitFor();
    return page;
  }

  const shows = (page: Page, selector: string, text: string | RegExp) =>
    page.locator(selector, {hasText: text}).waitFor();

  it('chats live between alice and bob: badge, receipt, typing, a file', async () => {
    const alice = await pageAs('alice');
    const bob = await pageAs('bob');

    // alice starts the direct conversation and writes
    await alice
      .getByRole('button', {name: 'New conversation with bob'})
      .click();
    await shows(alice, '#chat-title', 'bob');
    await alice.getByLabel('Message').fill('Hello Bob!');
    await alice.getByRole('button', {name: 'Send'}).click();
    await shows(alice, '.message.mine', /Hello Bob!\s*Sent/);

    // bob sees it arrive live, unread, and opens it with the keyboard
    const entry = bob.getByRole('button', {name: /alice.*Hello Bob!/});
    await entry.waitFor();
    expect(await entry.locator('.badge').textContent()).to.equal('1 unread');
    await entry.focus();
    await bob.keyboard.press('Enter');
    await shows(bob, '#messages .message', 'Hello Bob!');
    expect(await entry.locator('.badge').count()).to.equal(0);
    await shows(alice, '.message.mine .receipt', 'Read by bob');

    // bob types: alice sees it; then he sends a file
    await bob.getByLabel('Message').pressSequentially('Here is');
    await shows(alice, '#typing', 'bob is typing…');
    const bytes = randomBytes(64 * 1024);
    await bob.getByLabel('Attach a file').setInputFiles({
      name: 'pixels.png',
      mimeType: 'image/png',
      buffer: bytes,
    });
    await bob.getByLabel('Message').pressSequentially(' the file.');
    await bob.getByRole('button', {name: 'Send'}).click();

    // alice has the conversation open: it shows up and is read at once
    const download = alice.getByRole('button', {
      name: 'Download pixels.png (64.0 KB)',
    });
    await download.waitFor();
    await shows(alice, '#messages .message', 'Here is the file.');
    expect(await alice.locator('#typing').textContent()).to.equal('');
    await shows(bob, '.message.mine .receipt', 'Read by alice');

    const [saved] = await Promise.all([
      alice.waitForEvent('download'),
      download.click(),
    ]);
    expect(saved.suggestedFilename()).to.equal('pixels.png');
    const file = await saved.path();
    expect(fs.readFileSync(file).equals(bytes)).to.be.true();

    expect(await alice.locator('#messages').getAttribute('aria-live')).to.equal(
      'polite',
    );
    await alice.screenshot({path: screenshotPath(), fullPage: true});
    console.log(`    screenshot: ${screenshotPath()}`);
    expect(pageErrors).to.eql([]);
  });
});

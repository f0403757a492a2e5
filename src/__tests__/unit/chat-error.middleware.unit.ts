import {AuthenticationMiddlewareProvider} from '@loopback/authentication';
import {Context, createBindingFromClass} from '@loopback/core';
import {
  FindRouteMiddlewareProvider,
  HttpErrors,
  InvokeMethodMiddlewareProvider,
  MiddlewareContext,
  MiddlewareSequence,
  MiddlewareView,
  ParseParamsMiddlewareProvider,
  ResolvedRoute,
  RestBindings,
  RestHttpErrors,
  SendResponseMiddlewareProvider,
} from '@loopback/rest';
import {expect} from '@loopback/testlab';
import {ChatError, ChatErrorCodes} from '../../errors';
import {
  CHAT_ROUTE_EXTENSION,
  ChatErrorMiddlewareProvider,
  codeForStatus,
} from '../../rest';

describe('ChatErrorMiddlewareProvider (unit)', () => {
  it('maps ChatError kinds to statuses, keeping code and message', async () => {
    const cases: [ChatError, number, string][] = [
      [
        new ChatError('unauthorized', 'INVALID_TOKEN', 'no'),
        401,
        'Unauthorized',
      ],
      [ChatError.forbidden('Only owners.'), 403, 'Forbidden'],
      [ChatError.notFound('MESSAGE_NOT_FOUND', 'Message'), 404, 'NotFound'],
      [ChatError.conflict('MESSAGE_DELETED', 'Deleted.'), 409, 'Conflict'],
    ];
    for (const [error, statusCode, name] of cases) {
      const err = await runMiddleware(error);
      expect(summary(err)).to.eql({
        statusCode,
        name: `${name}Error`,
        message: error.message,
        code: error.code,
        details: undefined,
      });
    }
  });

  it('maps an invalid ChatError to 422 with details naming the field', async () => {
    const err = await runMiddleware(ChatError.invalid('memberIds', 'too many'));
    expect(summary(err)).to.eql({
      statusCode: 422,
      name: 'UnprocessableEntityError',
      message: 'memberIds: too many',
      code: ChatErrorCodes.INVALID_FIELD,
      details: [
        {
          path: 'memberIds',
          code: ChatErrorCodes.INVALID_FIELD,
          message: 'memberIds: too many',
        },
      ],
    });
  });

  it('names the fields of a VALIDATION_FAILED body error', async () => {
    const details = [
      {path: '/seq', code: 'type', message: 'must be integer', info: {}},
      {
        path: '',
        code: 'additionalProperties',
        message: 'must NOT have additional properties',
        info: {additionalProperty: 'foo'},
      },
      {
        path: '',
        code: 'required',
        message: "must have required property 'body'",
        info: {missingProperty: 'body'},
      },
    ];
    const err = await runMiddleware(RestHttpErrors.invalidRequestBody(details));
    expect(summary(err)).to.eql({
      statusCode: 422,
      name: 'UnprocessableEntityError',
      message:
        "Invalid request body: /seq must be integer; unknown property 'foo'; " +
        "missing required property 'body'",
      code: 'VALIDATION_FAILED',
      details,
    });
  });

  it('names the body itself when it is not an object', async () => {
    const details = [
      {path: '', code: 'type', message: 'must be object', info: {}},
    ];
    const err = await runMiddleware(RestHttpErrors.invalidRequestBody(details));
    expect(summary(err).message).to.equal(
      'Invalid request body: body must be object',
    );
  });

  it('turns parameter errors on chat routes into 422', async () => {
    const invalid = await runMiddleware(
      RestHttpErrors.invalidData('x', 'limit'),
    );
    expect(summary(invalid)).to.eql({
      statusCode: 422,
      name: 'UnprocessableEntityError',
      message: 'Invalid data "x" for parameter "limit".',
      code: 'INVALID_PARAMETER_VALUE',
      details: undefined,
    });
    const details = [{path: '', code: 'maximum', message: 'must be <= 200'}];
    const tooBig = await runMiddleware(
      RestHttpErrors.invalidData(500, 'limit', {details}),
    );
    expect(summary(tooBig)).to.eql({
      statusCode: 422,
      name: 'UnprocessableEntityError',
      message: 'Invalid data 500 for parameter "limit": must be <= 200',
      code: 'INVALID_PARAMETER_VALUE',
      details,
    });
    const missing = await runMiddleware(
      RestHttpErrors.missingRequired('since'),
    );
    expect(summary(missing)).to.eql({
      statusCode: 422,
      name: 'UnprocessableEntityError',
      message: 'Missing required parameter "since".',
      code: 'MISSING_REQUIRED_PARAMETER',
      details: undefined,
    });
  });

  it('leaves every error of other routes as it is', async () => {
    const paramError = RestHttpErrors.invalidData('x', 'limit');
    expect(await runMiddleware(paramError, {chatRoute: false})).to.equal(
      paramError,
    );
    const bodyError = RestHttpErrors.invalidRequestBody([]);
    expect(await runMiddleware(bodyError, {chatRoute: false})).to.equal(
      bodyError,
    );
    const notFound = new HttpErrors.NotFound('Not here.');
    expect(await runMiddleware(notFound, {chatRoute: false})).to.equal(
      notFound,
    );
    expect(notFound).to.not.have.property('code');
    const chatError = ChatError.forbidden('Only owners.');
    expect(await runMiddleware(chatError, {chatRoute: false})).to.equal(
      chatError,
    );
  });

  it('adds a code derived from the status to 4xx errors without one', async () => {
    const cases: [Error, number, string][] = [
      [new HttpErrors.NotFound('Endpoint not found.'), 404, 'NOT_FOUND'],
      [
        Object.assign(new SyntaxError('bad json'), {statusCode: 400}),
        400,
        'BAD_REQUEST',
      ],
      [new HttpErrors.PayloadTooLarge('too big'), 413, 'PAYLOAD_TOO_LARGE'],
      [
        new HttpErrors.UnsupportedMediaType('no'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
    ];
    for (const [error, statusCode, code] of cases) {
      const err = await runMiddleware(error);
      expect(err).to.equal(error);
      expect(summary(err)).to.eql({
        statusCode,
        name: error.name,
        message: error.message,
        code,
        details: undefined,
      });
    }
  });

  it('never touches 5xx or status-less errors', async () => {
    const server = new HttpErrors.InternalServerError('boom');
    expect(await runMiddleware(server)).to.equal(server);
    expect(summary(server).code).to.be.undefined();
    const plain = new Error('db down');
    expect(await runMiddleware(plain)).to.equal(plain);
    expect(plain).to.not.have.property('code');
  });

  it('passes results through', async () => {
    const ctx = new Context() as MiddlewareContext;
    const result = await new ChatErrorMiddlewareProvider().value()(
      ctx,
      () => 'ok',
    );
    expect(result).to.equal('ok');
  });

  it('is ordered right after sendResponse, before findRoute', () => {
    const ctx = new Context();
    for (const cls of [
      InvokeMethodMiddlewareProvider,
      ParseParamsMiddlewareProvider,
      AuthenticationMiddlewareProvider,
      ChatErrorMiddlewareProvider,
      FindRouteMiddlewareProvider,
      SendResponseMiddlewareProvider,
    ]) {
      ctx.add(createBindingFromClass(cls));
    }
    const view = new MiddlewareView(ctx, MiddlewareSequence.defaultOptions);
    const names = view.middlewareBindingKeys.map(k => k.split('.').pop());
    expect(names).to.eql([
      'SendResponseMiddlewareProvider',
      'ChatErrorMiddlewareProvider',
      'FindRouteMiddlewareProvider',
      'AuthenticationMiddlewareProvider',
      'ParseParamsMiddlewareProvider',
      'InvokeMethodMiddlewareProvider',
    ]);
  });

  it('derives codes from any status', () => {
    expect([400, 404, 405, 413, 415, 418, 499].map(codeForStatus)).to.eql([
      'BAD_REQUEST',
      'NOT_FOUND',
      'METHOD_NOT_ALLOWED',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
      'IM_A_TEAPOT',
      'CLIENT_ERROR',
    ]);
  });
});

/** Runs the middleware with a `next` that throws `error`; returns what it throws. */
async function runMiddleware(
  error: unknown,
  {chatRoute = true} = {},
): Promise<unknown> {
  const ctx = new Context();
  const spec = chatRoute ? {[CHAT_ROUTE_EXTENSION]: true} : {};
  ctx.bind(RestBindings.Operation.ROUTE).to({spec} as ResolvedRoute);
  const middleware = new ChatErrorMiddlewareProvider().value();
  try {
    await middleware(ctx as MiddlewareContext, () => {
      throw error;
    });
  } catch (err) {
    return err;
  }
  throw new Error('expected the middleware to throw');
}

function summary(err: unknown) {
  const e = err as Record<string, unknown>;
  return {
    statusCode: e.statusCode,
    name: e.name,
    message: e.message,
    code: e.code,
    details: e.details,
  };
}

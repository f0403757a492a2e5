import {injectable} from '@loopback/core';
import {
  asSpecEnhancer,
  mergeSecuritySchemeToSpec,
  OASEnhancer,
  OpenApiSpec,
} from '@loopback/openapi-v3';
import {CHAT_SECURITY_SCHEME} from './spec-helpers';

/** Declares the bearer scheme the component's operations require. */
@injectable(asSpecEnhancer)
export class ChatSpecEnhancer implements OASEnhancer {
  readonly name = 'chat-service';

  modifySpec(spec: OpenApiSpec): OpenApiSpec {
    return mergeSecuritySchemeToSpec(spec, CHAT_SECURITY_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  }
}

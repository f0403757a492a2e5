import {injectable} from '@loopback/core';
import {
  asSpecEnhancer,
  mergeSecuritySchemeToSpec,
  OASEnhancer,
  OpenApiSpec,
} from '@loopback/openapi-v3';
import {CHAT_SECURITY_SCHEME} from './spec-helpers';

/**
 * Declares the bearer scheme the component's operations require, and
 * leaves ajv-errors' `errorMessage` (validation wording, not OpenAPI) out of
 * the published schemas.
 */
@injectable(asSpecEnhancer)
export class ChatSpecEnhancer implements OASEnhancer {
  readonly name = 'chat-service';

  modifySpec(spec: OpenApiSpec): OpenApiSpec {
    // a copy: the routes validate with the original schemas
    const paths = JSON.parse(JSON.stringify(spec.paths), (key, value) =>
      key === 'errorMessage' ? undefined : value,
    );
    return mergeSecuritySchemeToSpec({...spec, paths}, CHAT_SECURITY_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  }
}

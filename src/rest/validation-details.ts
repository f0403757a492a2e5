import {ANY_OF_RULE_FIELDS} from './schema-parts';

/** One entry of LoopBack's `details` (AJV errors). */
export interface ErrorDetail {
  path?: string;
  code?: string;
  message?: string;
  info?: {additionalProperty?: string; missingProperty?: string};
}

/**
 * The details of a 422 as clients see them: the failure of an `anyOf` rule
 * of the component's schemas (`anyOfRule`), which ajv-errors reports once
 * for the rule and once per branch, becomes one detail at the field the
 * rule names; identical details are listed once.
 */
export function clearDetails(details: ErrorDetail[]): ErrorDetail[] {
  const seen = new Set<string>();
  const out: ErrorDetail[] = [];
  for (const detail of details) {
    const field =
      detail.code === 'errorMessage'
        ? ANY_OF_RULE_FIELDS.get(detail.message ?? '')
        : undefined;
    const clear: ErrorDetail =
      field === undefined
        ? detail
        : {path: field, code: 'required', message: detail.message};
    const key = JSON.stringify([clear.path, clear.code, clear.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(clear);
  }
  return out;
}

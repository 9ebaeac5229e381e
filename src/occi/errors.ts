// Typed errors of the OCCI layer: a code for what kind of refusal it is (the API layer maps it
// to an HTTP status) and a message that names what was wrong and what was expected: it is
// shown to the client as is.
export type OcciErrorCode = 'OCCI_PARSE' | 'OCCI_NOT_ACCEPTABLE' | 'OCCI_UNSUPPORTED_MEDIA_TYPE';

export class OcciError extends Error {
  readonly code: OcciErrorCode;

  constructor(code: OcciErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A header, body line or JSON body does not follow the OCCI grammar. */
export class OcciParseError extends OcciError {
  declare readonly code: 'OCCI_PARSE';
  constructor(message: string) { super('OCCI_PARSE', message); }
}

/** The response cannot be rendered in any media type the client accepts. */
export class NotAcceptableError extends OcciError {
  declare readonly code: 'OCCI_NOT_ACCEPTABLE';
  constructor(message: string) { super('OCCI_NOT_ACCEPTABLE', message); }
}

/** A request body came with a missing or unsupported Content-Type. */
export class UnsupportedMediaTypeError extends OcciError {
  declare readonly code: 'OCCI_UNSUPPORTED_MEDIA_TYPE';
  constructor(message: string) { super('OCCI_UNSUPPORTED_MEDIA_TYPE', message); }
}

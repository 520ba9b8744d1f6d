export { type CharsetInfo, charsetForSyntax } from './charset.js';
export { createEdifactReader, DEFAULT_MAX_SEGMENT_LENGTH } from './reader.js';
export { DEFAULT_SERVICE_CHARS, interchangeDelimiters, serviceCharsToDelimiters } from './service-string.js';

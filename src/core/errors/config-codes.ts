import { defineCodes } from './define.js';

/** Codes of the configuration (service config, --partners, --rates), checked before anything runs. */
export const CONFIG_CODES = defineCodes({
  CONFIG_INVALID: {
    stage: 'config',
    severity: 'error',
    retryable: false,
    summary:
      'A configuration file or option is invalid (unknown key, wrong format, clashing delimiters, unreadable or malformed JSON); nothing was run.',
  },
});

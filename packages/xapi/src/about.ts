import { SUPPORTED_VERSIONS } from './versions.js';

/** The body of GET /xapi/about (xAPI Communication, "About Resource"). */
export interface About {
  readonly version: readonly string[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/**
 * The About resource: every version Cairn accepts, and Cairn's own extension naming the product
 * and its version so that tools can tell which LRS they talk to.
 */
export function aboutResource(productVersion: string): About {
  return {
    version: [...SUPPORTED_VERSIONS],
    extensions: {
      'https://cairn-lrs.org/xapi/extensions/lrs': { name: 'Cairn', version: productVersion },
    },
  };
}

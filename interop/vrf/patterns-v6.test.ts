// The leak patterns against GoBGP, IPv6 and VPNv6 (issue 17): the IPv4 suite of patterns.ts with
// every address mapped into 2001:db8::/32.

import { patternSuite } from './patterns.js';

patternSuite('ipv6', import.meta.url);

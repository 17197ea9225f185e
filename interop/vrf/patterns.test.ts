// The leak patterns against GoBGP, IPv4 and VPNv4 (the suite is in patterns.ts).

import { patternSuite } from './patterns.js';

patternSuite('ipv4', import.meta.url);

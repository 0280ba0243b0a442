import { z } from 'zod';

// No eval-compiled validators in extension contexts (CSP, and web-ext's DANGEROUS_EVAL check).
z.config({ jitless: true });

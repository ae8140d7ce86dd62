// Placeholder until the audit issue lands.
import { unavailable } from './lib/unavailable.ts';

export const main = unavailable('audit', 'audit issue');

// Placeholder until the check issue lands.
import { unavailable } from './lib/unavailable.ts';

export const main = unavailable('check', 'check issue');

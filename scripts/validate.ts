// Placeholder until the check issue lands.
import { unavailable } from './lib/unavailable.ts';

export const main = unavailable('validate', 'check issue');

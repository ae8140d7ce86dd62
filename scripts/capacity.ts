// Placeholder until the capacity issue lands.
import { unavailable } from './lib/unavailable.ts';

export const main = unavailable('capacity', 'capacity issue');

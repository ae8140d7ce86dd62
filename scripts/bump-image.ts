// Placeholder until the image bump issue lands.
import { unavailable } from './lib/unavailable.ts';

export const main = unavailable('bump-image', 'image bump issue');

// The protocol text, public like the rest of the portal: /portal/protocol/fd2 (the standard for every new draw) or fd1.
import { error } from '@sveltejs/kit';
import { isProtocol } from '$lib/verify/protocol';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ params }) => {
  if (!isProtocol(params.doc)) error(404, params.doc);
  return { doc: params.doc };
};

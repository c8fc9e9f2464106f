// The portal's list of published audit heads (no account): a page of 50, newest first; ?offset= keeps the place.
import { getAuditHeads } from '$lib/api';
import type { PageLoad } from './$types';

const HEADS_PAGE = 50;

export const load: PageLoad = ({ url }) => {
  const offset = Math.max(0, Number(url.searchParams.get('offset')) || 0);
  return { offset, limit: HEADS_PAGE, heads: getAuditHeads(HEADS_PAGE, offset) };
};

/**
 * The response page's address: `?pillar=<section>` (the general block is `general`, pillars by
 * their ids) and `?filter=unanswered|returned`, so a reload, a link and the back button all land
 * on the same page of the questionnaire. Kept apart from the page so the route tree does not pull
 * the page's code into the first chunk.
 */
export interface ResponseSearch {
  pillar?: string;
  filter?: 'unanswered' | 'returned';
}

export function validateResponseSearch(search: Record<string, unknown>): ResponseSearch {
  const out: ResponseSearch = {};
  if (typeof search.pillar === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(search.pillar)) out.pillar = search.pillar;
  if (search.filter === 'unanswered' || search.filter === 'returned') out.filter = search.filter;
  return out;
}

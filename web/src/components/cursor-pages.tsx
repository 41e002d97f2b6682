import Pagination from '@cloudscape-design/components/pagination';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';

interface ApiPage<Item> {
  items: Item[];
  nextCursor?: string | null;
}

/**
 * A list the API pages with `cursor`/`nextCursor`, shown page by page in a Table: the cursors
 * of the pages seen are kept, so Previous goes back without asking again, and Next follows the
 * last page's nextCursor. The number of pages is unknown until the last one (openEnd).
 * A filtered page may come back empty and still carry a cursor; such pages are followed (up to
 * `maxHops`) until one has items or the list ends.
 */
export function useCursorPages<Item>(
  queryKey: readonly unknown[],
  fetchPage: (cursor: string | undefined) => Promise<ApiPage<Item>>,
  options: {
    maxHops?: number;
    /** How often to read the shown page again (milliseconds), or false: a list whose items are still changing. */
    refetchInterval?: (page: ApiPage<Item> | undefined) => number | false;
  } = {},
) {
  const { maxHops = 10, refetchInterval } = options;
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[]; index: number }>({ key: JSON.stringify(queryKey), cursors: [undefined], index: 0 });
  const keyText = JSON.stringify(queryKey);
  // A new list (another filter) starts again at its first page.
  const current = state.key === keyText ? state : { key: keyText, cursors: [undefined], index: 0 };
  const cursor = current.cursors[current.index];
  const page = useQuery({
    queryKey: [...queryKey, 'page', cursor ?? ''],
    queryFn: async () => {
      let answered = await fetchPage(cursor);
      for (let hop = 1; answered.items.length === 0 && answered.nextCursor && hop < maxHops; hop++) answered = await fetchPage(answered.nextCursor);
      return answered;
    },
    placeholderData: keepPreviousData,
    ...(refetchInterval && { refetchInterval: (query: { state: { data?: ApiPage<Item> } }) => refetchInterval(query.state.data) }),
  });
  const nextCursor = page.data?.nextCursor ?? undefined;
  const goTo = (index: number) => {
    if (index < 0) return;
    if (index < current.cursors.length) setState({ ...current, index });
    else if (index === current.cursors.length && nextCursor) setState({ ...current, cursors: [...current.cursors, nextCursor], index });
  };
  /** Back to the first page, forgetting the cursors seen: the list changed (an item added at its head). */
  const restart = () => setState({ key: keyText, cursors: [undefined], index: 0 });
  // For a Table's `loading`: nothing to show yet, or the rows shown are another page's (another filter's).
  const loading = page.isPending || page.isPlaceholderData;
  return { page, items: page.data?.items ?? [], loading, pageIndex: current.index, pagesKnown: current.cursors.length, hasNext: nextCursor !== undefined, goTo, restart };
}

export interface CursorPaginationLabels {
  next: string;
  previous: string;
  page: (page: number) => string;
}

/** Cloudscape's Pagination over useCursorPages. */
export function CursorPagination({ pages, labels }: { pages: ReturnType<typeof useCursorPages<unknown>>; labels: CursorPaginationLabels }) {
  return (
    <Pagination
      currentPageIndex={pages.pageIndex + 1}
      pagesCount={pages.pagesKnown}
      openEnd={pages.pageIndex < pages.pagesKnown - 1 || pages.hasNext}
      // While another page loads (not while the shown one is read again in the background).
      disabled={pages.page.isFetching && pages.page.isPlaceholderData}
      onChange={(event) => pages.goTo(event.detail.currentPageIndex - 1)}
      ariaLabels={{ nextPageLabel: labels.next, previousPageLabel: labels.previous, pageLabel: labels.page }}
    />
  );
}

/**
 * Follows a paged export's cursors (GET /audit/export, GET /release-log): fetches a page, hands it on, and
 * refuses a page that does not move the cursor on (a server bug would otherwise loop for ever).
 */
export interface CursorPage {
  readonly cursor?: string;
}

export const followPages = async <P extends CursorPage>(
  fetchPage: (cursor: string | undefined) => Promise<P>,
  onPage: (page: P, index: number) => Promise<void>,
): Promise<number> => {
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await fetchPage(cursor);
    if (page.cursor !== undefined && page.cursor === cursor)
      throw new Error(`page ${pages + 1} does not move the cursor on`);
    await onPage(page, pages);
    pages += 1;
    cursor = page.cursor;
  } while (cursor);
  return pages;
};

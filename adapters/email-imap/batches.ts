// Splits a window of header rows into commit batches: in UID order, at most `maxCount` bodies and
// about `maxBytes` of them per batch. Rows already stored ride along without a body, so each
// batch's last UID is a safe cursor.
export interface HeaderRow {
  uid: number;
  messageId: string | null;
  size: number;
  known: boolean;
  receivedAt?: Date | undefined;
}

export function planBatches(rows: readonly HeaderRow[], maxCount: number, maxBytes: number): HeaderRow[][] {
  const batches: HeaderRow[][] = [];
  let current: HeaderRow[] = [];
  let count = 0;
  let bytes = 0;
  for (const row of rows) {
    const needsBody = !row.known;
    if (needsBody && current.length > 0 && count > 0 && (count >= maxCount || bytes + row.size > maxBytes)) {
      batches.push(current);
      current = [];
      count = 0;
      bytes = 0;
    }
    current.push(row);
    if (needsBody) {
      count += 1;
      bytes += row.size;
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

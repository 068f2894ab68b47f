/** The inbox's first page as the inbox asks for it, which main.tsx asks for early: one address for both. */
export const INBOX_FIRST_PAGE = '/tasks?page=1&pageSize=20&sort=dueDate&order=asc';

/** Where main keeps the playground draft (`state:get` / `state:set`): its own module, so the page's entry can ask for it before the playground's code has loaded. */
export const DRAFT_KEY = 'playground.draft'

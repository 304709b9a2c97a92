// Types for the parts of @mailchimp/mailchimp_marketing 3.0.80 that dunning uses; the package ships none.
// Its index exports one process-wide ApiClient instance; src/ApiClient.js exports the class itself,
// so each channel can have its own instance with its own key and base URL (see mailchimp-client.ts).
declare module '@mailchimp/mailchimp_marketing/src/ApiClient.js' {
  interface ListsApi {
    getList(listId: string, opts?: { fields?: string[] }): Promise<unknown>;
    batchListMembers(listId: string, body: unknown, opts?: { skipMergeValidation?: boolean; skipDuplicateCheck?: boolean }): Promise<unknown>;
    updateListMember(listId: string, subscriberHash: string, body: unknown, opts?: { skipMergeValidation?: boolean }): Promise<unknown>;
    updateListMemberTags(listId: string, subscriberHash: string, body: unknown): Promise<unknown>;
    getListMember(listId: string, subscriberHash: string, opts?: { fields?: string[] }): Promise<unknown>;
    getListMergeFields(listId: string, opts?: { count?: number; offset?: number }): Promise<unknown>;
    addListMergeField(listId: string, body: unknown): Promise<unknown>;
  }

  export default class ApiClient {
    /** Base URL of every call, default `https://server.api.mailchimp.com/3.0`. */
    basePath: string;
    /** Request timeout in milliseconds (default 120000). */
    timeout: number;
    /** Replaces the whole configuration (no merge). */
    setConfig(config: { apiKey?: string; accessToken?: string; server?: string }): void;
    readonly lists: ListsApi;
  }
}

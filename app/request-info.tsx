import { createContext, useContext } from "react";

/** Per-request values the server renders into the page: the CSP nonce and the request id (correlation id). */
export interface RequestInfo {
  nonce: string;
  requestId: string;
}

export const RequestInfoContext = createContext<RequestInfo>({ nonce: "", requestId: "" });
export const useRequestInfo = () => useContext(RequestInfoContext);

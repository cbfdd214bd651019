export interface DavPropertiesTable {
  node_id: string;
  namespace: string;
  name: string;
  /** The property's whole element, self-contained (it declares its own namespaces). */
  xml: string;
}

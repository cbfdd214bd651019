export interface NodeOpensTable {
  user_id: string;
  node_id: string;
  opened_at: Date;
}

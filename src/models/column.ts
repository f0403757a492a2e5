/** Column mapping for both SQL connectors, so CRUD methods hit the same table. */
export function column(name: string, dataType?: string) {
  return {
    postgresql: {columnName: name, ...(dataType ? {dataType} : {})},
    mysql: {columnName: name},
  };
}

/** Table mapping for both SQL connectors. */
export function table(name: string) {
  return {postgresql: {table: name}, mysql: {table: name}};
}

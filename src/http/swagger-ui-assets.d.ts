// Imported `with { type: 'file' }`: Bun embeds each file in the executable and the import is
// its path, readable with Bun.file().
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const path: string;
  export default path;
}

declare module 'swagger-ui-dist/swagger-ui.css' {
  const path: string;
  export default path;
}

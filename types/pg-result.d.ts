declare module "pg/lib/result.js" {
  const Result: {
    prototype: { addFields(fields: Array<{ dataTypeID: number }>): void };
  };
  export default Result;
}

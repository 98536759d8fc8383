/** A field-level problem, `path` in dotted form (`softClose.windowSeconds`). */
export interface FieldError {
  path: string;
  message: string;
}

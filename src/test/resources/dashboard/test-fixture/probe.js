export const probe = "served";

// Placeholder until the database bootstrap lands; emulator tests need nothing global.
export default async function setup(): Promise<void> {}

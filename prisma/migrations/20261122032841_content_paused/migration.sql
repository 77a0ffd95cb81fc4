-- AlterEnum
ALTER TYPE "ContentStatus" ADD VALUE 'PAUSED';

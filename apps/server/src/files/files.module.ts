import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RoomsModule } from '../rooms/rooms.module';
import { FileSweeper } from './file-sweeper';
import { FilesController } from './files.controller';
import { FilesService } from './files.service';
import { StoredFile, StoredFileSchema } from './stored-file.schema';

/** Uploads (GridFS), downloads and thumbnails; messages claim files through `FilesService`. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: StoredFile.name, schema: StoredFileSchema }]),
    RoomsModule,
  ],
  controllers: [FilesController],
  providers: [FilesService, FileSweeper],
  exports: [FilesService],
})
export class FilesModule {}

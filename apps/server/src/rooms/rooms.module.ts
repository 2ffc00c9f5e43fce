import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PresenceModule } from '../presence/presence.module';
import { UsersModule } from '../users/users.module';
import { DirectRoomsService } from './direct-rooms.service';
import { Invite, InviteSchema } from './invite.schema';
import { Membership, MembershipSchema } from './membership.schema';
import { ReadCursorsService } from './read-cursors.service';
import { RoomBan, RoomBanSchema } from './room-ban.schema';
import { RoomEvents } from './room-events';
import { RoomInvitesController } from './room-invites.controller';
import { RoomInvitesService } from './room-invites.service';
import { RoomMembersController } from './room-members.controller';
import { RoomMembersService } from './room-members.service';
import { Room, RoomSchema } from './room.schema';
import { DirectRoomsController, RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Room.name, schema: RoomSchema },
      { name: Membership.name, schema: MembershipSchema },
      { name: RoomBan.name, schema: RoomBanSchema },
      { name: Invite.name, schema: InviteSchema },
    ]),
    UsersModule,
    PresenceModule,
  ],
  controllers: [
    RoomsController,
    RoomMembersController,
    RoomInvitesController,
    DirectRoomsController,
  ],
  providers: [
    RoomsService,
    RoomMembersService,
    RoomInvitesService,
    DirectRoomsService,
    ReadCursorsService,
    RoomEvents,
  ],
  exports: [RoomsService, RoomMembersService, ReadCursorsService, RoomEvents],
})
export class RoomsModule {}

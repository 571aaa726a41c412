// Marks the functions libws2_32 exports; everything else is hidden (-fvisibility=hidden).
#pragma once
#define WS2_EXPORT __attribute__((visibility("default")))
